# After find_package(Torch): does this LibTorch have CUDA? Sets IQL_WITH_CUDA (ON/OFF), which decides
# whether core/device/cuda_backend.cpp (ATen/cuda headers: graphs, streams) or cuda_backend_none.cpp
# is compiled, and core's PUBLIC definition IQL_WITH_CUDA=1/0 (core/CMakeLists.txt).
# A CUDA LibTorch (upstream TorchConfig.cmake, Debian 13's libtorch-cuda-dev) imports torch_cuda and
# c10_cuda and lists them in TORCH_CUDA_LIBRARIES / TORCH_LIBRARIES; a CPU one has none of them.
set(IQL_WITH_CUDA OFF)
if(TARGET torch_cuda OR TARGET c10_cuda OR TORCH_CUDA_LIBRARIES OR "${TORCH_LIBRARIES}" MATCHES "c10_cuda")
  set(IQL_WITH_CUDA ON)
endif()

# A LibTorch built with the pre-C++11 std::string ABI (older pip wheels and the site's "pre-cxx11 ABI"
# archives) puts that ABI on core only, while core_base, HDF5, Qt and the rest use the new one: the link
# then fails on std::string symbols far from the cause. Say so here instead.
if("${TORCH_CXX_FLAGS}" MATCHES "_GLIBCXX_USE_CXX11_ABI=0")
  message(FATAL_ERROR "The LibTorch at ${Torch_DIR} uses the pre-C++11 ABI (-D_GLIBCXX_USE_CXX11_ABI=0), "
                      "which cannot link with this system's libraries: use a cxx11-ABI LibTorch "
                      "(the PyTorch site's 'cxx11 ABI' archive; torch wheels use it from 2.7 on).")
endif()

if(IQL_WITH_CUDA)
  set(_iql_cuda_text "yes")
  if(CUDAToolkit_VERSION)
    string(APPEND _iql_cuda_text " (toolkit ${CUDAToolkit_VERSION})")
  elseif(CUDA_VERSION)
    string(APPEND _iql_cuda_text " (toolkit ${CUDA_VERSION})")
  endif()
else()
  set(_iql_cuda_text "no")
endif()
string(REGEX MATCH "^[0-9]+\\.[0-9]+" _iql_torch_xy "${Torch_VERSION}")
message(STATUS "LibTorch ${_iql_torch_xy} at ${Torch_DIR}, CUDA: ${_iql_cuda_text}")
unset(_iql_cuda_text)
unset(_iql_torch_xy)
